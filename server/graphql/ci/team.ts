// Owns the Team type: who owns CIs and services, whom to notify, and the CIs a team owns.
import type { Common } from '../common';
import type { addConnectionTypes } from './connection';
import type { TeamRef } from './refs';
import { connectionCost } from '../cost';

export function implementTeam(common: Common, Team: TeamRef, lists: ReturnType<typeof addConnectionTypes>): void {
  const { NodeInterface } = common;
  const { CiConnection, CiFilterInput, CiOrderInput, toFilter, connectionArgs, page } = lists;
  Team.implement({
    description: 'A team that owns CIs and services; who to notify and who approves.',
    interfaces: [NodeInterface],
    isTypeOf: (v) => typeof (v as { id?: unknown }).id === 'string' && String((v as { id: string }).id).startsWith('team_'),
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      email: t.exposeString('email', { nullable: true }),
      onCall: t.exposeString('onCall', { nullable: true }),
      slackChannel: t.exposeString('slackChannel', { nullable: true }),
      owns: t.field({
        type: CiConnection,
        description: 'CIs and services this team owns.',
        complexity: connectionCost,
        args: { filter: t.arg({ type: CiFilterInput }), orderBy: t.arg({ type: CiOrderInput }), ...connectionArgs(t.arg) },
        resolve: (team, a, ctx) => page(ctx, { ...toFilter(a.filter), ownerTeamIds: [team.id] }, a.orderBy, a),
      }),
    }),
  });
}
