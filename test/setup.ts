import fc from 'fast-check';

// `npm test` is deterministic: property tests replay the same cases on every run. The long
// suite (`npm run test:reliability`, LECTERN_LONG=1) explores fresh random cases each time.
if (!process.env['LECTERN_LONG']) fc.configureGlobal({ seed: 20261127 });
