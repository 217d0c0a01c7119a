import { ComingSoon } from "../components/ComingSoon";

// PLACEHOLDER: replaced by the real Accounts screen in a later issue.
export default function AccountsRoute() {
  return <ComingSoon title="Accounts" description="Companies you sell to, with their contacts, deals and activity." />;
}
