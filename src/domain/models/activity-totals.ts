import type { ModelActivity } from '../../storage/models/model-activity.model';

/** What a model's records add up to, as a ward's review states them. */
export interface ActivityTotals {
  /** Disputes found in the group, and of those resolved there (the rest referred to mediation or the police). */
  disputesFound: number;
  disputesResolved: number;
  /** Propaganda sessions of every form, and the people they reached. */
  propagandaSessions: number;
  attendees: number;
  meetings: number;
  loudspeakerBroadcasts: number;
  leaflets: number;
  patrolShifts: number;
  patrolParticipants: number;
  patrolHours: number;
  pledgeHouseholds: number;
}

export function noActivity(): ActivityTotals {
  return { disputesFound: 0, disputesResolved: 0, propagandaSessions: 0, attendees: 0, meetings: 0, loudspeakerBroadcasts: 0, leaflets: 0, patrolShifts: 0, patrolParticipants: 0, patrolHours: 0, pledgeHouseholds: 0 };
}

/** Adds one record to the totals (in place). */
export function addActivity(totals: ActivityTotals, activity: ModelActivity): ActivityTotals {
  switch (activity.kind) {
    case 'dispute':
      totals.disputesFound += 1;
      if (activity.result === 'resolved') totals.disputesResolved += 1;
      break;
    case 'propaganda':
      totals.propagandaSessions += 1;
      totals.attendees += activity.attendees;
      if (activity.form === 'meeting') totals.meetings += 1;
      else if (activity.form === 'loudspeaker') totals.loudspeakerBroadcasts += 1;
      else totals.leaflets += 1;
      break;
    case 'patrol':
      totals.patrolShifts += 1;
      totals.patrolParticipants += activity.people;
      totals.patrolHours += activity.hours;
      break;
    case 'pledges':
      totals.pledgeHouseholds += activity.households;
      break;
  }
  return totals;
}

/** Sums of several totals (a unit's models together). */
export function sumTotals(list: ActivityTotals[]): ActivityTotals {
  const sum = noActivity();
  for (const totals of list) for (const key of Object.keys(sum) as (keyof ActivityTotals)[]) sum[key] += totals[key];
  return sum;
}
