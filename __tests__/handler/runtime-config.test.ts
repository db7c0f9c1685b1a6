import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveDryRun, loadRuntimeConfig, readInvocation, readRuntimeConfig, runtimeConfigPath } from '../../handler/runtime-config';
import { runtimeConfig } from './support';
import { tempDirForFile } from '../support/temp-dir';

const dir = tempDirForFile('cloudmend-rc-');

describe('runtime config', () => {
  it('is read from cloudmend.runtime.json next to the bundle, or the CLOUDMEND_RUNTIME_CONFIG path', () => {
    expect(runtimeConfigPath({}, '/var/task')).toBe('/var/task/cloudmend.runtime.json');
    expect(runtimeConfigPath({ CLOUDMEND_RUNTIME_CONFIG: '/tmp/x.json' }, '/var/task')).toBe('/tmp/x.json');
  });

  it('loads and validates a config, once per container', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(runtimeConfig()));
    const first = loadRuntimeConfig({ CLOUDMEND_RUNTIME_CONFIG: path });
    expect(first).toEqual(runtimeConfig());
    writeFileSync(path, '{}');
    expect(loadRuntimeConfig({ CLOUDMEND_RUNTIME_CONFIG: path })).toBe(first);
  });

  it('names the file and the fix when it is missing', () => {
    expect(() => readRuntimeConfig(join(dir, 'missing.json'))).toThrow(
      `cannot read the runtime config ${join(dir, 'missing.json')} (ENOENT): deploy with cloudmend (it writes cloudmend.runtime.json into the bundle) or set CLOUDMEND_RUNTIME_CONFIG`,
    );
  });

  it('names every wrong field when it is invalid', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...runtimeConfig(), mode: 'yolo', regions: 'us-east-1' }));
    expect(() => readRuntimeConfig(path)).toThrow(/is not a valid cloudmend runtime config \(mode: .*; regions: .*\)/);
  });
});

describe('dry run', () => {
  it('unwraps { dryRun, event } and passes any other event through untouched', () => {
    expect(readInvocation({ dryRun: true, event: { a: 1 } })).toEqual({ event: { a: 1 }, dryRun: true });
    expect(readInvocation({ dryRun: true, event: { a: 1 }, other: 1 })).toEqual({
      event: { dryRun: true, event: { a: 1 }, other: 1 },
      dryRun: false,
    });
    expect(readInvocation({ Records: [] })).toEqual({ event: { Records: [] }, dryRun: false });
  });

  it('is on when the config, the env or the invocation says so, and nothing per invocation turns it off', () => {
    expect(effectiveDryRun({ mode: 'enforce' }, { dryRun: false }, {})).toBe(false);
    expect(effectiveDryRun({ mode: 'enforce' }, { dryRun: true }, {})).toBe(true);
    expect(effectiveDryRun({ mode: 'enforce' }, { dryRun: false }, { CLOUDMEND_DRY_RUN: 'true' })).toBe(true);
    expect(effectiveDryRun({ mode: 'dry-run' }, { dryRun: false }, { CLOUDMEND_DRY_RUN: 'false' })).toBe(true);
  });
});
