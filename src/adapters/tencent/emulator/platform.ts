/**
 * The platform event catalogue in the Tencent emulator: ListPlatformProducts,
 * ListPlatformEventNames, ListPlatformEventPatterns and GetPlatformEventTemplate.
 */
import { type Actions, required, TcError } from './common.js';

/** The platform catalogue actions. */
export const platformActions = (): Actions => ({
  // The platform event catalogue (official SDK actions beyond the seed): the emulator knows no
  // platform products, so the lists are empty and no template exists.
  ListPlatformProducts: () => ({ PlatformProducts: [] }),
  ListPlatformEventNames: (p) => {
    required(p, 'ProductType');
    return { EventNames: [] };
  },
  ListPlatformEventPatterns: (p) => {
    required(p, 'ProductType');
    return { EventPatterns: [] };
  },
  GetPlatformEventTemplate: (p) => {
    required(p, 'EventType');
    throw new TcError('ResourceNotFound', 'The resource does not exist.');
  },
});
