import { GridPage } from "../components/grid/GridPage";

/** /leads — every lead as a data grid: saved views, columns, filters, grouping, inline edits and bulk actions. */
export default function LeadsRoute() {
  return <GridPage entity="leads" title="Leads" singular="lead" createKind="lead" />;
}
