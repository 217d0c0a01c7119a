import { ComingSoon } from "../components/ComingSoon";

// PLACEHOLDER: replaced by the real Leads screen in a later issue.
export default function LeadsRoute() {
  return <ComingSoon title="Leads" description="Unqualified prospects, ready to be converted into an account, contact and deal." />;
}
