/**
 * Where each stack keeps its Terraform state: one state per stack, so a
 * region or a shard of accounts can be planned, applied or recovered alone.
 */
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { join, relative, resolve } from 'node:path';
import type { CloudmendConfig } from '../config/schema';

export interface BackendSettings {
  backend: CloudmendConfig['backend'];
  /** The app's output folder (relative to `baseDir`), where Terraform runs in stacks/<name>/. */
  outdir: string;
  /** Folder the local state directory is relative to: the project root. */
  baseDir: string;
}

export function applyBackend(stack: TerraformStack, settings: BackendSettings, stackName: string): void {
  const backend = settings.backend;
  if (backend.type === 'local') {
    // Relative to the stack's working directory, so the synthesized JSON holds no absolute path of this machine.
    const stackDir = resolve(settings.baseDir, settings.outdir, 'stacks', stackName);
    const stateFile = resolve(settings.baseDir, backend.directory, `${stackName}.tfstate`);
    new LocalBackend(stack, { path: relative(stackDir, stateFile).split('\\').join('/') });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: join(backend.keyPrefix, `${stackName}.tfstate`).split('\\').join('/'),
    region: backend.region,
    encrypt: true,
    ...(backend.lockTable ? { dynamodbTable: backend.lockTable } : {}),
  });
  // cdktf 0.21 predates S3 native locking (Terraform >= 1.10); set it directly.
  if (backend.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
