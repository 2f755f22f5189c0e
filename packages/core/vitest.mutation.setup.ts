import fc from 'fast-check';

// Under mutation testing a failing property only has to fail: shrinking the counterexample can take thousands of
// runs and turn a killed mutant into a timeout (and a restarted worker). Normal runs keep shrinking.
fc.configureGlobal({ endOnFailure: true });
