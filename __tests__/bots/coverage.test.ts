import { BOTS } from '../../bots';
import { ASR_CONTROLS, CLOUDBOTS_NAMES, controlService, coverage } from '../../bots/coverage';
import { NOT_REMEDIATED, normaliseControlId } from '../../bots/remediates';

const stated = new Set(NOT_REMEDIATED.filter((e) => e.source === 'securityHub').flatMap((e) => e.keys.map(normaliseControlId)));

describe('what the catalog reaches of the catalogs users migrate from', () => {
  const { controls, otherServices, cloudBots } = coverage(BOTS);

  it('accepts every CloudBots name, so every CloudGuard `AUTO:` rule naming one works unchanged', () => {
    expect(cloudBots.missing).toEqual([]);
    expect(cloudBots.accepted).toHaveLength(CLOUDBOTS_NAMES.length);
  });

  it('has a bot, or says why not, for every ASR control in a service its bots act on', () => {
    const silent = controls.filter((c) => c.bots.length === 0 && !stated.has(normaliseControlId(c.control))).map((c) => c.control);
    expect(silent).toEqual([]);
  });

  it('states no reason for a control a bot has since come to remediate', () => {
    const covered = controls.filter((c) => c.bots.length > 0 && stated.has(normaliseControlId(c.control))).map((c) => c.control);
    expect(covered).toEqual([]);
  });

  it('counts a service as acted on from the bots, so a new bot in a new service brings its controls into the check', () => {
    const withoutRedshift = coverage(BOTS.filter((b) => !b.meta.resourceTypes.some((t) => t.startsWith('AWS::Redshift::'))));
    expect(withoutRedshift.otherServices).toEqual(expect.arrayContaining(['Redshift.1', 'Redshift.3', 'Redshift.4', 'Redshift.6']));
    expect(controls.map((c) => c.control)).toEqual(expect.arrayContaining(['Redshift.1', 'Redshift.3', 'Redshift.4', 'Redshift.6']));
  });

  it('lists each ASR control once, in exactly one of the two groups', () => {
    expect(new Set(ASR_CONTROLS).size).toBe(ASR_CONTROLS.length);
    expect([...controls.map((c) => c.control), ...otherServices].sort()).toEqual([...ASR_CONTROLS].sort());
    expect(controlService('AutoScaling.1')).toBe('autoscaling');
  });
});
