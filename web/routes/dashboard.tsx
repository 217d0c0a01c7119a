import { ComingSoon } from "../components/ComingSoon";

// PLACEHOLDER: replaced by the real Dashboard screen in a later issue.
export default function DashboardRoute() {
  return <ComingSoon title="Dashboard" description="Pipeline health, forecast and the deals that need attention will live here." />;
}
