import { GridPage } from "../components/grid/GridPage";

/** /contacts — every contact as a data grid: saved views, columns, filters, grouping, inline edits and bulk actions. */
export default function ContactsRoute() {
  return <GridPage entity="contacts" title="Contacts" singular="contact" createKind="contact" />;
}
