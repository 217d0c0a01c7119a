import { FilterSearch, FilterSelect, ListFilters } from "../components/lists/ListFilters";
import { RecordListPage } from "../components/lists/RecordListPage";
import { CustomFieldFilters } from "../components/custom-fields/CustomFieldFilters";
import { formatDateTime } from "../lib/format";
import { rememberAccountName } from "../lib/lookups";
import { formatRelative } from "../lib/relative-time";
import { useUsers } from "../lib/useUsers";
import { declaredColumns } from "../components/lists/declared-columns";
import { useMeta } from "../lib/meta";
import type { Account } from "../lib/records";

const FILTERS = ["q", "ownerId"] as const;

/** /accounts — companies, sortable by name or date, filterable by owner and text (?q=&ownerId=&sort=). */
export default function AccountsRoute() {
  const { users, nameOf } = useUsers();
  const meta = useMeta();
  return (
    <RecordListPage
      entity="accounts"
      title="Accounts"
      description="Companies you sell to."
      singular="account"
      createKind="account"
      filterKeys={FILTERS}
      defaultSort="name"
      empty={{ title: "No accounts yet", description: "Create your first account, or import a CSV." }}
      filters={(list) => (
        <ListFilters onClear={list.clearFilters} canClear={Object.keys(list.filters).length > 0}>
          <FilterSearch label="Search accounts" placeholder="Name or domain…" value={list.filters.q ?? ""} onCommit={(q) => list.setFilters({ q })} />
          <FilterSelect label="Owner" allLabel="Anyone" value={list.filters.ownerId ?? ""} onChange={(ownerId) => list.setFilters({ ownerId })} options={users.map((u) => ({ value: u.id, label: u.name }))} />
          <CustomFieldFilters entity="account" filters={list.filters} setFilters={list.setFilters} />
        </ListFilters>
      )}
      columns={(rows) => {
        for (const a of rows) rememberAccountName(a.id, a.name);
        return [
          ...declaredColumns<Account>("accounts", meta, {
            name: {
              id: "name",
              header: "Name",
              sortKey: "name",
              cell: (a) => (
                <span className="block">
                  {a.name}
                  {a.domain && <span className="block text-xs font-normal text-slate-500">{a.domain}</span>}
                </span>
              ),
            },
            city: { id: "location", header: "Location", className: "hidden md:table-cell", cell: (a) => [a.city, a.country].filter(Boolean).join(", ") || <span className="text-slate-500">—</span> },
            ownerId: { id: "owner", header: "Owner", cell: (a) => nameOf(a.ownerId) },
          }),
          {
            id: "updated",
            header: "Updated",
            sortKey: "updatedAt",
            descendingFirst: true,
            cell: (a) => <time dateTime={a.updatedAt} title={formatDateTime(a.updatedAt)}>{formatRelative(a.updatedAt)}</time>,
          },
        ];
      }}
    />
  );
}
