/**
 * Errors of the HTTP layer. Messages carry the source, method and a redacted URL
 * (never headers), so they can be logged as they are.
 */

export interface HttpErrorDetails {
  source: string;
  method: string;
  /** Already redacted. */
  url: string;
  attempts: number;
}

export class HttpRequestError extends Error {
  readonly source: string;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(details: HttpErrorDetails, reason: string) {
    super(`${details.source}: ${details.method} ${details.url} failed after ${details.attempts} attempt(s): ${reason}`);
    this.name = "HttpRequestError";
    this.source = details.source;
    this.method = details.method;
    this.url = details.url;
    this.attempts = details.attempts;
  }
}

/** A status the policy does not retry (400, 401, 404, …), or the last of a retried series. */
export class HttpStatusError extends HttpRequestError {
  constructor(
    details: HttpErrorDetails,
    readonly status: number,
    /** First bytes of the response body, secrets scrubbed. */
    readonly bodySnippet: string,
  ) {
    super(details, `HTTP ${status}${bodySnippet ? `: ${bodySnippet}` : ""}`);
    this.name = "HttpStatusError";
  }
}

/** The run's total time budget would be exceeded by waiting for another attempt. */
export class HttpBudgetExhaustedError extends HttpRequestError {
  constructor(details: HttpErrorDetails, readonly lastFailure: string, readonly budgetMs: number) {
    super(details, `retry time budget of ${budgetMs} ms exhausted (last failure: ${lastFailure})`);
    this.name = "HttpBudgetExhaustedError";
  }
}

/** The policy's maximum number of attempts was reached on network errors or unparseable bodies. */
export class HttpRetriesExhaustedError extends HttpRequestError {
  constructor(details: HttpErrorDetails, readonly lastFailure: string) {
    super(details, `giving up (last failure: ${lastFailure})`);
    this.name = "HttpRetriesExhaustedError";
  }
}

/** A failure that is not retryable and not an HTTP status (bad arguments, unknown errors). */
export class HttpTransportError extends HttpRequestError {
  constructor(details: HttpErrorDetails, readonly code: string, message: string) {
    super(details, `${code}: ${message}`);
    this.name = "HttpTransportError";
  }
}
