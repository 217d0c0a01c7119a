import { ApiError, errorMessage } from "../lib/api";
import { AlertIcon } from "./icons";
import { Button } from "./ui/Button";

/** A failed load, with the server's explanation, its request id (for support) and a retry button. */
export function ErrorState({
  error,
  title,
  onRetry,
  retrying = false,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  const heading =
    title ??
    (error instanceof ApiError && error.status === 0
      ? "Can’t reach the server"
      : error instanceof ApiError && error.status === 403
        ? "You don’t have access to this"
        : "Something went wrong");
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center px-6 py-12 text-center">
      <span className="inline-flex size-10 items-center justify-center rounded-full bg-red-50 text-red-600">
        <AlertIcon width={20} height={20} />
      </span>
      <h2 className="mt-4 text-base font-semibold text-slate-900">{heading}</h2>
      <p className="mt-1.5 text-sm text-slate-600">{errorMessage(error)}</p>
      {requestId && (
        <p className="mt-2 text-xs text-slate-400">
          Reference: <span className="font-mono select-all">{requestId}</span>
        </p>
      )}
      {onRetry && (
        <Button className="mt-5" onClick={onRetry} loading={retrying}>
          Try again
        </Button>
      )}
    </div>
  );
}
