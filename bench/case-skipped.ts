/**
 * A case that cannot run on this machine (case 8 without PostgreSQL): the bench says why and
 * goes on with the other cases. It is not a failure: the bench is not CI.
 */
export class CaseSkipped extends Error {}
