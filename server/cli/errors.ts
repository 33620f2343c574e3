/** A refusal or a mistake in the command line: printed as `error: <message>`, without a stack. */
export class CliError extends Error {}
