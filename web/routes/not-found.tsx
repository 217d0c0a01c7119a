import { Link } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { buttonClasses } from "../components/ui/Button";

export default function NotFoundRoute() {
  return (
    <EmptyState
      title="Page not found"
      description="There is nothing at this address. It may have moved, or the link may be wrong."
      action={
        <Link to="/pipeline" className={buttonClasses("secondary")}>
          Go to the pipeline
        </Link>
      }
    />
  );
}
