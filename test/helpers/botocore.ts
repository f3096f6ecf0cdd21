// Real botocore (boto3 and the AWS CLI sign and parse through it) against a loopback AWS emulator:
// a Python script gets the emulator URL and an access key pair as argv[1..3]. Machines without
// Python botocore (CI may have none) skip the tests that need it: see `botocoreAvailable`.
import { execFile } from 'node:child_process';
import type { AwsCredentials } from '../../src/adapters/aws/auth.js';

/** Whether `python3 -c 'import botocore'` succeeds on this machine. */
export const botocoreAvailable: Promise<boolean> = new Promise<boolean>((resolve) =>
  execFile('python3', ['-c', 'import botocore'], (err) => resolve(!err)),
);

/**
 * Runs `script` with python3: argv[1] is the emulator URL, argv[2] and argv[3] the access key id
 * and secret. Only PATH reaches the child (no AWS_* variable of this machine), and the instance
 * metadata lookup is off, so botocore uses exactly the keys given. Resolves with stdout.
 */
export function runBotocore(script: string, url: string, credentials: AwsCredentials): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile(
      'python3',
      ['-c', script, url, credentials.accessKeyId, credentials.secretAccessKey],
      { env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true' } },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)),
    ),
  );
}

/** The Python preamble that makes `ai` (appintegrations) and `eb` (events) clients from argv. */
export const BOTOCORE_CLIENTS = `
import botocore.session, json, sys
s = botocore.session.get_session()
kw = dict(region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
ai = s.create_client('appintegrations', **kw)
eb = s.create_client('events', **kw)
`;
