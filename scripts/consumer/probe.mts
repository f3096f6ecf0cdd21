// Adapter authors import helpers from the separate subpath; they are absent from the root entry.
import { parseResponse, paginate } from 'polybus/adapter-kit';

export type AdapterKitProbe = [typeof parseResponse, typeof paginate];
