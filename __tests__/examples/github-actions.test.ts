/**
 * The reference pipeline (examples/github-actions/cloudmend-deploy.yml) keeps
 * its promises: OIDC credentials, a saved plan per stack, a human approval,
 * bounded parallel applies of exactly the saved plans, handler stacks before
 * member stacks. Its stack selection runs on a real manifest in
 * __tests__/cdktf-cli.integration.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const workflow = parse(readFileSync(join(__dirname, '../../examples/github-actions/cloudmend-deploy.yml'), 'utf8'));
const jobs = workflow.jobs as Record<string, any>;
const script = (job: string) => (jobs[job].steps as Array<{ run?: string }>).map((s) => s.run ?? '').join('\n');

describe('reference GitHub Actions pipeline', () => {
  it('gets AWS credentials through OIDC only', () => {
    expect(workflow.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    const credentialSteps = Object.values(jobs).flatMap((job) =>
      job.steps.filter((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials')),
    );
    expect(credentialSteps.length).toBe(4); // plan and the three apply jobs
    for (const step of credentialSteps) {
      expect(step.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
      expect(step.with['aws-access-key-id']).toBeUndefined();
    }
  });

  it('installs from the lockfile and synthesizes with the pinned cdktf-cli', () => {
    expect(script('synth')).toContain('npm ci');
    expect(script('synth')).toContain('npx cdktf synth');
  });

  it('saves a plan per stack as an artifact, then applies only that plan after the approval', () => {
    expect(script('plan')).toMatch(/terraform plan -out=tfplan/);
    expect(
      jobs.plan.steps.some((s: any) => s.uses?.startsWith('actions/upload-artifact') && s.with.name === 'plan-${{ matrix.stack }}'),
    ).toBe(true);
    expect(jobs.approve.environment).toBe('production');
    for (const job of ['apply-before', 'apply-handlers', 'apply-members']) {
      expect(script(job)).toMatch(/terraform apply -lock-timeout=5m tfplan$/m);
      expect(script(job)).not.toMatch(/auto-approve|terraform plan/);
    }
  });

  it('applies handler stacks before member stacks, both after the approval, in bounded parallel matrices', () => {
    expect(jobs['apply-handlers'].needs).toContain('approve');
    expect(jobs['apply-members'].needs).toContain('apply-handlers');
    for (const job of ['plan', 'apply-before', 'apply-handlers', 'apply-members'])
      expect(jobs[job].strategy['max-parallel']).toBeGreaterThan(0);
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
  });

  it('applies what the handler stacks depend on before them, and skips that job when there is nothing', () => {
    expect(jobs['apply-before'].needs).toEqual(['synth', 'approve']);
    expect(jobs['apply-before'].if).toBe("needs.synth.outputs.before-stacks != '[]'");
    expect(jobs['apply-handlers'].needs).toEqual(['synth', 'approve', 'apply-before']);
    for (const job of ['apply-handlers', 'apply-members']) expect(jobs[job].if).toBe('${{ !failure() && !cancelled() }}');
  });
});
