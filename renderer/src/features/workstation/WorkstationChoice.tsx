import type { WorkstationInfo } from '../../../../shared/contract/workstation';
import { ErrorBanner } from '../../components/ErrorBanner';
import { WorkstationForm } from './WorkstationForm';

/**
 * The desktop app's first run (or after a damaged settings file): this computer only, or the
 * clinic server (WorkstationForm, the same form as Settings → This workstation). Saving restarts the app.
 */
export function WorkstationChoice({ info }: { info: WorkstationInfo }) {
  return (
    <section className="card" aria-labelledby="workstation-title">
      <h2 id="workstation-title">How does this computer use Reservoir?</h2>
      <ErrorBanner message={info.problem} />
      <WorkstationForm current={info.current} />
    </section>
  );
}
