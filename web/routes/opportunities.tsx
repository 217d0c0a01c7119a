import { Link } from "react-router";
import { GridPage } from "../components/grid/GridPage";
import { buttonClasses } from "../components/ui/Button";

/** /opportunities — every deal as a data grid (the board's list view), grouped by stage with totals when asked. */
export default function OpportunitiesRoute() {
  return (
    <GridPage
      entity="opportunities"
      title="Opportunities"
      singular="opportunity"
      createKind="opportunity"
      extraActions={
        <Link to="/pipeline" className={buttonClasses("secondary", "md", "max-md:hidden")}>
          Board view
        </Link>
      }
    />
  );
}
