/** A refusal or failure next to what caused it, announced to screen readers (nothing when there is none). */
export function ErrorBanner({ message }: { message: string | null | undefined }) {
  return message ? (
    <p role="alert" className="banner banner-error">
      {message}
    </p>
  ) : null;
}
