import { FilterSearch, FilterSelect, ListFilters } from "../components/lists/ListFilters";
import { RecordListPage } from "../components/lists/RecordListPage";
import { CustomFieldFilters } from "../components/custom-fields/CustomFieldFilters";
import { Badge } from "../components/ui/Badge";
import { formatDateTime } from "../lib/format";
import { LEAD_STATUS_LABEL, LEAD_STATUS_TONE } from "../lib/labels";
import { LEAD_STATUSES, type Lead } from "../lib/records";
import { declaredColumns } from "../components/lists/declared-columns";
import { useMeta } from "../lib/meta";
import { formatRelative } from "../lib/relative-time";
import { useUsers } from "../lib/useUsers";

const FILTERS = ["q", "ownerId", "status"] as const;

/** /leads — prospects not yet converted, filterable by status, owner and text (?status=&ownerId=&q=&sort=). */
export default function LeadsRoute() {
  const { users, nameOf } = useUsers();
  const meta = useMeta();
  return (
    <RecordListPage
      entity="leads"
      title="Leads"
      description="Prospects to qualify and convert into accounts, contacts and deals."
      singular="lead"
      createKind="lead"
      filterKeys={FILTERS}
      defaultSort="-createdAt"
      empty={{ title: "No leads yet", description: "Add a lead, or import a list of prospects." }}
      filters={(list) => (
        <ListFilters onClear={list.clearFilters} canClear={Object.keys(list.filters).length > 0}>
          <FilterSearch label="Search leads" placeholder="Name or company…" value={list.filters.q ?? ""} onCommit={(q) => list.setFilters({ q })} />
          <FilterSelect label="Status" allLabel="Any status" value={list.filters.status ?? ""} onChange={(status) => list.setFilters({ status })} options={LEAD_STATUSES.map((s) => ({ value: s, label: LEAD_STATUS_LABEL[s] }))} />
          <FilterSelect label="Owner" allLabel="Anyone" value={list.filters.ownerId ?? ""} onChange={(ownerId) => list.setFilters({ ownerId })} options={users.map((u) => ({ value: u.id, label: u.name }))} />
          <CustomFieldFilters entity="lead" filters={list.filters} setFilters={list.setFilters} />
        </ListFilters>
      )}
      columns={() => [
        ...declaredColumns<Lead>("leads", meta, {
          name: {
            id: "name",
            header: "Name",
            sortKey: "lastName",
            cell: (l) => (
              <span className="block">
                {l.name || l.email || "Unnamed lead"}
                {l.title && <span className="block text-xs font-normal text-slate-500">{l.title}</span>}
              </span>
            ),
          },
          status: { id: "status", header: "Status", sortKey: "status", cell: (l) => <Badge tone={LEAD_STATUS_TONE[l.status]}>{LEAD_STATUS_LABEL[l.status]}</Badge> },
          source: { id: "source", header: "Source", className: "hidden lg:table-cell", cell: (l) => l.source ?? <span className="text-slate-500">—</span> },
          ownerId: { id: "owner", header: "Owner", className: "hidden md:table-cell", cell: (l) => nameOf(l.ownerId) },
        }),
        {
          id: "created",
          header: "Created",
          sortKey: "createdAt",
          descendingFirst: true,
          cell: (l) => <time dateTime={l.createdAt} title={formatDateTime(l.createdAt)}>{formatRelative(l.createdAt)}</time>,
        },
      ]}
    />
  );
}
