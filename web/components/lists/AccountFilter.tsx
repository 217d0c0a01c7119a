import { useCallback, useEffect, useState } from "react";
import { getRecord, searchAccounts } from "../../lib/records";
import { RecordCombobox, type RecordOption } from "../RecordCombobox";

/** Account typeahead bound to ?accountId= (the name is looked up for a shared link). */
export function AccountFilter({ accountId, onChange }: { accountId?: string; onChange: (id: string | undefined) => void }) {
  const [account, setAccount] = useState<RecordOption | null>(null);
  useEffect(() => {
    if (!accountId) return setAccount(null);
    if (account?.id === accountId) return;
    const controller = new AbortController();
    getRecord("accounts", accountId, { signal: controller.signal }).then(
      (a) => setAccount({ id: a.id, name: a.name }),
      () => setAccount({ id: accountId, name: "Unknown account" }),
    );
    return () => controller.abort();
  }, [accountId, account?.id]);
  const search = useCallback(async (q: string, signal: AbortSignal) => (await searchAccounts(q, { signal })).map((a) => ({ id: a.id, name: a.name, hint: a.domain })), []);
  return (
    <RecordCombobox
      className="md:w-52"
      label="Account"
      placeholder="Any account"
      value={account}
      onChange={(a) => {
        setAccount(a);
        onChange(a?.id);
      }}
      search={search}
    />
  );
}
