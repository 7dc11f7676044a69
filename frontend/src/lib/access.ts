/** Key access: a key holder whose session has passed the second factor. */
export function hasKeyAccess(me: {
  isKeyHolder: boolean;
  secondFactorPassed?: boolean | null;
}): boolean {
  return me.isKeyHolder && me.secondFactorPassed === true;
}
