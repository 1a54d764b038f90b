import { ClinicSettingsForm } from './ClinicSettingsForm';
import { DeviceCatalogEditor } from './DeviceCatalogEditor';
import { DrugListEditor } from './DrugListEditor';
import { BackupsSection } from '../backups/BackupsSection';
import { useCan } from '../accounts/session';
import { ThisWorkstationSection } from '../workstation/ThisWorkstationSection';
import './settings.css';

/** Clinic settings, drug list and device catalog; backups; in the desktop app, this workstation. */
export function SettingsScreen() {
  return (
    <section aria-labelledby="settings-title">
      <div className="toolbar">
        <h2 id="settings-title">Settings</h2>
      </div>
      <ClinicSettingsForm />
      <DrugListEditor />
      <DeviceCatalogEditor />
      <BackupsOfAdmins />
      <ThisWorkstationSection />
    </section>
  );
}

/** Backups are for administrators (main refuses anyone else). */
function BackupsOfAdmins() {
  return useCan('backups.list') ? <BackupsSection /> : null;
}
