import { GridPage } from "../components/grid/GridPage";

/** /accounts — every account as a data grid: saved views, columns, filters, grouping, inline edits and bulk actions. */
export default function AccountsRoute() {
  return <GridPage entity="accounts" title="Accounts" singular="account" createKind="account" />;
}
