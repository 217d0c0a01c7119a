/** A start failure with the one sentence that fixes it (scripts/start.ts prints `message` and `fix`, no stack). */
export class StartError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}
