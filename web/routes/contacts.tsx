import { FilterSearch, FilterSelect, ListFilters } from "../components/lists/ListFilters";
import { RecordListPage } from "../components/lists/RecordListPage";
import { CustomFieldFilters } from "../components/custom-fields/CustomFieldFilters";
import { AccountFilter } from "../components/lists/AccountFilter";
import { formatDateTime } from "../lib/format";
import { formatRelative } from "../lib/relative-time";
import { useUsers } from "../lib/useUsers";
import { declaredColumns } from "../components/lists/declared-columns";
import { useMeta } from "../lib/meta";
import type { Contact } from "../lib/records";

const FILTERS = ["q", "ownerId", "accountId"] as const;

/** /contacts — people, filterable by account, owner and text (?q=&ownerId=&accountId=&sort=). */
export default function ContactsRoute() {
  const { users, nameOf } = useUsers();
  const meta = useMeta();
  return (
    <RecordListPage
      entity="contacts"
      title="Contacts"
      description="People at your accounts."
      singular="contact"
      createKind="contact"
      filterKeys={FILTERS}
      defaultSort="lastName"
      empty={{ title: "No contacts yet", description: "Add the people you work with at your accounts." }}
      filters={(list) => (
        <ListFilters onClear={list.clearFilters} canClear={Object.keys(list.filters).length > 0}>
          <FilterSearch label="Search contacts" placeholder="Name or e-mail…" value={list.filters.q ?? ""} onCommit={(q) => list.setFilters({ q })} />
          <AccountFilter accountId={list.filters.accountId} onChange={(accountId) => list.setFilters({ accountId })} />
          <FilterSelect label="Owner" allLabel="Anyone" value={list.filters.ownerId ?? ""} onChange={(ownerId) => list.setFilters({ ownerId })} options={users.map((u) => ({ value: u.id, label: u.name }))} />
          <CustomFieldFilters entity="contact" filters={list.filters} setFilters={list.setFilters} />
        </ListFilters>
      )}
      columns={(_rows, { accountNames }) => {
        return [
          ...declaredColumns<Contact>("contacts", meta, {
            name: {
              id: "name",
              header: "Name",
              sortKey: "lastName",
              cell: (c) => (
                <span className="block">
                  {c.name || c.email || "Unnamed contact"}
                  {c.title && <span className="block text-xs font-normal text-slate-500">{c.title}</span>}
                </span>
              ),
            },
            accountId: { id: "account", header: "Account", cell: (c) => (c.accountId ? (accountNames.get(c.accountId) ?? "…") : <span className="text-slate-500">—</span>) },
            phone: { id: "phone", header: "Phone", className: "hidden lg:table-cell", cell: (c) => c.phone ?? c.mobilePhone ?? <span className="text-slate-500">—</span> },
            ownerId: { id: "owner", header: "Owner", className: "hidden md:table-cell", cell: (c) => nameOf(c.ownerId) },
          }),
          {
            id: "updated",
            header: "Updated",
            sortKey: "updatedAt",
            descendingFirst: true,
            cell: (c) => <time dateTime={c.updatedAt} title={formatDateTime(c.updatedAt)}>{formatRelative(c.updatedAt)}</time>,
          },
        ];
      }}
    />
  );
}
