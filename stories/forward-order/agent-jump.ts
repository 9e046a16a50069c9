// Story C: telling the restarted Cilium agent's FORWARD jump from the one its predecessor left.
//
// A new agent renames its chains to OLD_CILIUM_*, inserts fresh feeder jumps, then deletes every
// built-in-chain rule that jumps to an OLD_CILIUM_* chain. Until it has done so, the old agent's
// jump is still in FORWARD and reads exactly like the new one. So before the restart the spec
// swaps the old `cilium-feeder` jump, in place, for an identical jump under our own comment: only
// the new agent can put a `cilium-feeder` jump back, and its clean-up removes our stand-in.
import { parseIptablesS, type IptablesRule } from '../../harness/parse/iptables.ts';

export const FEEDER_COMMENT = 'cilium-feeder: CILIUM_FORWARD';
export const STAND_IN_COMMENT = 'netrepro: CILIUM_FORWARD jump left by the agent before the restart';
const CILIUM_FORWARD = 'CILIUM_FORWARD';
const OLD_CHAIN_PREFIX = 'OLD_CILIUM_';

const forwardRules = (rulesText: string) => parseIptablesS(rulesText).rules.filter((r) => r.chain === 'FORWARD');

const isCommentOnly = (rule: IptablesRule) =>
  rule.matches.length === 4 && rule.matches[0] === '-m' && rule.matches[1] === 'comment' && rule.matches[2] === '--comment';

/**
 * The `iptables -R` arguments that replace the agent's feeder jump in `iptables -S FORWARD`
 * output by the stand-in at the same position (iptables counts rules from 1).
 */
export function standInReplacement(rulesText: string): string[] {
  const rules = forwardRules(rulesText);
  const at = rules.findIndex((r) => r.target === CILIUM_FORWARD && r.comment === FEEDER_COMMENT);
  if (at < 0) throw new Error(`FORWARD has no "${FEEDER_COMMENT}" jump to mark before the agent restart; rules read:\n${rulesText}`);
  const feeder = rules[at]!;
  if (!isCommentOnly(feeder) || feeder.goto || feeder.targetArgs.length > 0) {
    throw new Error(`the Cilium FORWARD feeder jump has matches besides its comment, so it cannot be swapped for a stand-in: ${feeder.raw}`);
  }
  return ['-R', 'FORWARD', String(at + 1), '-m', 'comment', '--comment', STAND_IN_COMMENT, '-j', CILIUM_FORWARD];
}

/** True once a new agent has put its feeder jump in and removed the old one (our stand-in). */
export function newAgentJumpInstalled(rulesText: string): boolean {
  const rules = forwardRules(rulesText);
  const feeder = rules.some((r) => r.target === CILIUM_FORWARD && r.comment === FEEDER_COMMENT);
  const leftovers = rules.some((r) => r.comment === STAND_IN_COMMENT || r.target?.startsWith(OLD_CHAIN_PREFIX));
  return feeder && !leftovers;
}
