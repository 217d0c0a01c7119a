import { useMemo } from "react";
import { Link } from "react-router";
import { FilterAmount, FilterDate, FilterSearch, FilterSelect, ListFilters } from "../components/lists/ListFilters";
import { RecordListPage } from "../components/lists/RecordListPage";
import { CustomFieldFilters } from "../components/custom-fields/CustomFieldFilters";
import { buttonClasses } from "../components/ui/Button";
import { Badge } from "../components/ui/Badge";
import { formatDateOnly, formatMoney, fromMinorUnits, isPastDate, toMinorUnits } from "../lib/format";
import { useStages } from "../lib/lookups";
import { useUsers } from "../lib/useUsers";
import { declaredColumns } from "../components/lists/declared-columns";
import { useMeta } from "../lib/meta";
import type { Opportunity } from "../lib/records";
import { AccountFilter } from "../components/lists/AccountFilter";

const FILTERS = ["q", "ownerId", "accountId", "stageId", "closeFrom", "closeTo", "amountMin", "amountMax", "currency"] as const;
/** Amount filters are typed in major units of this currency (the list may mix currencies: 2 digits covers most). */
const FILTER_CURRENCY = "USD";

/** /opportunities — every deal as a table (the board's list view): stage, amount, close-date and owner filters. */
export default function OpportunitiesRoute() {
  const { users, nameOf } = useUsers();
  const meta = useMeta();
  const stages = useStages();
  const stageById = useMemo(() => new Map((stages ?? []).map((s) => [s.id, s])), [stages]);
  // Stage names repeat across pipelines: say which pipeline each is in when there are several.
  const severalPipelines = new Set((stages ?? []).map((s) => s.pipelineId)).size > 1;
  return (
    <RecordListPage
      entity="opportunities"
      title="Opportunities"
      description="Every deal, in a sortable list."
      singular="opportunity"
      createKind="opportunity"
      filterKeys={FILTERS}
      defaultSort="-updatedAt"
      empty={{ title: "No opportunities yet", description: "Deals appear here when a lead is converted or an opportunity is created." }}
      extraActions={
        <Link to="/pipeline" className={buttonClasses("secondary")}>
          Board view
        </Link>
      }
      filters={(list) => (
        <ListFilters onClear={list.clearFilters} canClear={Object.keys(list.filters).length > 0}>
          <FilterSearch label="Search deals" placeholder="Deal name…" value={list.filters.q ?? ""} onCommit={(q) => list.setFilters({ q })} />
          <FilterSelect label="Stage" allLabel="Any stage" value={list.filters.stageId ?? ""} onChange={(stageId) => list.setFilters({ stageId })} options={(stages ?? []).map((s) => ({ value: s.id, label: severalPipelines ? `${s.pipelineName}: ${s.name}` : s.name }))} />
          <AccountFilter accountId={list.filters.accountId} onChange={(accountId) => list.setFilters({ accountId })} />
          <FilterSelect label="Owner" allLabel="Anyone" value={list.filters.ownerId ?? ""} onChange={(ownerId) => list.setFilters({ ownerId })} options={users.map((u) => ({ value: u.id, label: u.name }))} />
          <FilterDate label="Closing from" value={list.filters.closeFrom ?? ""} max={list.filters.closeTo} onChange={(closeFrom) => list.setFilters({ closeFrom })} />
          <FilterDate label="Closing to" value={list.filters.closeTo ?? ""} min={list.filters.closeFrom} onChange={(closeTo) => list.setFilters({ closeTo })} />
          <FilterAmount
            label={`Min amount (${FILTER_CURRENCY})`}
            minor={list.filters.amountMin ?? ""}
            onCommit={(amountMin) => list.setFilters({ amountMin })}
            toMajor={(m) => fromMinorUnits(m, FILTER_CURRENCY)}
            toMinor={(m) => toMinorUnits(m, FILTER_CURRENCY)}
          />
          <FilterAmount
            label={`Max amount (${FILTER_CURRENCY})`}
            minor={list.filters.amountMax ?? ""}
            onCommit={(amountMax) => list.setFilters({ amountMax })}
            toMajor={(m) => fromMinorUnits(m, FILTER_CURRENCY)}
            toMinor={(m) => toMinorUnits(m, FILTER_CURRENCY)}
          />
          <CustomFieldFilters entity="opportunity" filters={list.filters} setFilters={list.setFilters} />
        </ListFilters>
      )}
      columns={(_rows, { accountNames }) => {
        return declaredColumns<Opportunity>("opportunities", meta, {
          name: { id: "name", header: "Deal", sortKey: "name", cell: (o) => o.name },
          accountId: { id: "account", header: "Account", cell: (o) => (o.accountId ? (accountNames.get(o.accountId) ?? "…") : <span className="text-slate-500">—</span>) },
          stageId: {
            id: "stage",
            header: "Stage",
            cell: (o) => {
              const stage = stageById.get(o.stageId);
              if (!stage) return "…";
              return <Badge tone={stage.kind === "won" ? "success" : stage.kind === "lost" ? "danger" : "neutral"}>{stage.name}</Badge>;
            },
          },
          amount: {
            id: "amount",
            header: "Amount",
            sortKey: "amount",
            descendingFirst: true,
            className: "text-right tabular",
            cell: (o) => (o.amount === null ? <span className="text-slate-500">—</span> : formatMoney(o.amount, o.currency)),
          },
          closeDate: {
            id: "close",
            header: "Close date",
            sortKey: "closeDate",
            cell: (o) => {
              const open = stageById.get(o.stageId)?.kind === "open";
              return o.closeDate ? <span className={open && isPastDate(o.closeDate) ? "font-medium text-red-600" : ""}>{formatDateOnly(o.closeDate)}</span> : <span className="text-slate-500">—</span>;
            },
          },
          ownerId: { id: "owner", header: "Owner", className: "hidden md:table-cell", cell: (o) => nameOf(o.ownerId) },
        });
      }}
    />
  );
}
