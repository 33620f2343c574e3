// Suites that measure time from sound (speakers in sync, gapless joins): they run one at a time,
// after the others, so no other suite takes the cores while they read stamped outputs. Everything
// else runs two files at a time (the machines have two cores and most suites wait on sockets,
// ffmpeg and Chromium). A new suite that places sound in time belongs here.
export const timingSuites = [
  'test/integration/receivers/group/**/*.test.ts',
  'test/integration/playback/group-*.test.ts',
  'test/integration/playback/airplay-gapless.test.ts',
  'test/integration/receivers/airplay/speaker-*.test.ts',
  'test/integration/receivers/airplay/raop-*.test.ts',
  'test/integration/receivers/airplay/group-sync.test.ts',
  'test/integration/receivers/airplay/video-combined-gapless.test.ts',
  'test/integration/receivers/sendspin/*-sync.test.ts',
  'test/integration/receivers/sendspin/sendspin-js.test.ts',
  'test/integration/browser-speaker.test.ts',
];
