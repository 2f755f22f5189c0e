// The parts of @kaa/test-support that core's tests use, without its browser, bundler and HTTP-mock modules: the
// mutation runner imports the test files again for every mutant, and those modules cost seconds per import.
export { fixturePath, readFixture, readFixtureText } from '../test-support/src/read-fixture.js';
export { expectNoSecrets, visibleText } from '../test-support/src/expect-no-secrets.js';
export { codeOf, errorOf, expectOnlyKaaError, rejectionOf } from '../test-support/src/kaa-errors.js';
export { testEcKeys, testRsaKeys } from '../test-support/src/test-keys.js';
