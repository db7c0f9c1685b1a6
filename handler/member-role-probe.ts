/**
 * Role absent, or trust broken? STS answers AccessDenied to both: assuming a
 * role that does not exist and assuming one whose trust policy refuses the
 * caller give the same error, by design (it does not reveal which roles
 * exist). The handler tells them apart as well as that allows: it assumes
 * the security account's own member role (always deployed, by Terraform, with
 * the same trust and external id). If that works, the trust setup is sound and
 * the member account simply holds no role: it is not in scope (not in an
 * in-scope OU, outside the organization, or its StackSet instance is not
 * deployed yet), a skip. If that fails too, the trust, external id or handler
 * policy is broken: a failure someone must fix. The answer is cached for a
 * few minutes per container, so a burst of out-of-scope findings costs one
 * extra AssumeRole.
 */
import { AssumeRoleDeniedError, MemberRoleAbsentError, MemberRoleTrustBrokenError } from './errors';

export { MemberRoleAbsentError, MemberRoleTrustBrokenError } from './errors';

export const MEMBER_ROLE_ABSENT = 'MemberRoleAbsentError';
const PROBE_TTL_MS = 5 * 60 * 1000;

export class TrustProbe {
  private last: { at: number; healthy: Promise<boolean> } | undefined;

  constructor(
    /** Assumes the security account's own member role in that partition. */
    private readonly probe: (partition: string) => Promise<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The error to report for an AccessDenied on a member account's role. */
  async explain(error: AssumeRoleDeniedError, account: string, partition = 'aws'): Promise<Error> {
    if (!this.last || this.now() - this.last.at > PROBE_TTL_MS) {
      this.last = {
        at: this.now(),
        healthy: this.probe(partition).then(
          () => true,
          (probeError: unknown) => {
            if (probeError instanceof AssumeRoleDeniedError) return false;
            throw probeError;
          },
        ),
      };
    }
    let healthy: boolean;
    try {
      healthy = await this.last.healthy;
    } catch {
      // The probe itself could not run (throttled, network): say nothing beyond the original denial.
      this.last = undefined;
      return error;
    }
    if (healthy) return new MemberRoleAbsentError(account, error.roleArn);
    return new MemberRoleTrustBrokenError(error);
  }
}
