import { z } from 'zod';
import type { RequestName } from './names';
import { noInput } from './common';
import {
  accessUpdateInput,
  changePasswordInput,
  loginInput,
  setupInput,
  unlockInput,
  userCreateInput,
  userResetPasswordInput,
  userUnlockInput,
  userUpdateInput,
  type AccessSettings,
  type SessionState,
  type User,
  type UsersOverview,
} from './accounts';
import { auditExportInput, auditQueryInput, type AuditChainStatus, type AuditEntry } from './audit';
import {
  backupConfigureInput,
  backupCreateInput,
  backupListInput,
  backupRestoreInput,
  type BackupInfo,
  type BackupOverview,
  type BackupRestoreResult,
} from './backups';
import { patientCreateInput, patientListInput, patientUpdateInput, type Patient } from './patients';
import type { Result } from './result';
import { entryAmendInput, entrySignInput, type EntryAttestation } from './signatures';
import type { SystemStatus } from './system';
import { workstationProbeInput, workstationSetInput, type WorkstationInfo, type WorkstationProbe } from './workstation';
import type { Versioned } from './versions';
import { tokenCreateInput, tokenRevokeInput, type AccessToken, type CreatedToken } from './tokens';
import {
  verificationListInput,
  verificationRejectInput,
  verificationVerifyInput,
  type AwaitingVerification,
  type EntryVerification,
} from './verifications';
import {
  appointmentBookInput,
  appointmentCallInput,
  appointmentDayInput,
  appointmentExportInput,
  type AppointmentExport,
  appointmentListInput,
  appointmentMarkInput,
  appointmentRescheduleInput,
  type RescheduledAppointment,
  type Appointment,
  type ClinicDay,
} from './appointments';
import { pumpRecallInput, pumpSearchInput, type PumpRecallResult, type PumpSearchResult } from './devices';
import {
  byId,
  deviceSaveInput,
  doseChangeInput,
  doseChangePreviewInput,
  drugSaveInput,
  eventInput,
  eventResolveInput,
  mriPostScanInput,
  pumpImplantInput,
  refillInput,
  refillPreviewInput,
  removalInput,
  reversalInput,
  therapyRestartInput,
  settingsUpdateInput,
  worklistInput,
  type ClinicSettings,
  type ClinicalEvent,
  type DeviceModel,
  type DoseChange,
  type DoseChangeDrug,
  type DoseChangePreview,
  type Drug,
  type PatientRecord,
  type Pump,
  type Refill,
  type RefillPreview,
  type Warning,
  type Worklist,
} from './record';
import {
  exportJobInput,
  exportStartInput,
  reportPreviewInput,
  type ExportJobStatus,
  type ExportSaveResult,
  type ReportData,
} from './reports';

/** A request: its input schema, and (as a phantom type) the value it answers with. */
export interface RequestSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly __output?: O;
}
const request =
  <O>() =>
  <I extends z.ZodType>(input: I): RequestSpec<I, O> => ({ input });

/**
 * The whole contract between the renderer and the main side. Every request is declared here once;
 * the main side validates every input against `input` before any handler runs.
 * `satisfies` makes the compiler check that these keys are exactly REQUEST_NAMES.
 */
export const contract = {
  'system.status': request<SystemStatus>()(noInput),
  'workstation.get': request<WorkstationInfo>()(noInput),
  'workstation.probe': request<WorkstationProbe>()(workstationProbeInput),
  'workstation.set': request<WorkstationInfo>()(workstationSetInput),
  'session.current': request<SessionState>()(noInput),
  'session.setup': request<SessionState>()(setupInput),
  'session.login': request<SessionState>()(loginInput),
  'session.logout': request<SessionState>()(noInput),
  'session.lock': request<SessionState>()(noInput),
  'session.unlock': request<SessionState>()(unlockInput),
  'session.changePassword': request<SessionState>()(changePasswordInput),
  'users.list': request<UsersOverview>()(noInput),
  'users.create': request<User>()(userCreateInput),
  'users.update': request<User>()(userUpdateInput),
  'users.resetPassword': request<User>()(userResetPasswordInput),
  /** Lifts a lockout after failed password attempts (the password stays). */
  'users.unlock': request<User>()(userUnlockInput),
  'access.update': request<AccessSettings>()(accessUpdateInput),
  /** Personal access tokens (the command line against a server): administrators only. */
  'tokens.list': request<AccessToken[]>()(noInput),
  /** The secret is in the answer this once; only its SHA-256 is stored. */
  'tokens.create': request<CreatedToken>()(tokenCreateInput),
  'tokens.revoke': request<AccessToken>()(tokenRevokeInput),
  'audit.list': request<AuditEntry[]>()(auditQueryInput),
  'audit.verify': request<AuditChainStatus>()(noInput),
  'audit.export': request<{ csv: string; rows: number }>()(auditExportInput),
  'patients.create': request<Patient>()(patientCreateInput),
  'patients.list': request<import('./patients').PatientListRow[]>()(patientListInput),
  'patients.get': request<PatientRecord>()(byId),
  'patients.update': request<Patient>()(patientUpdateInput),
  'settings.get': request<Versioned<ClinicSettings>>()(noInput),
  'settings.update': request<ClinicSettings>()(settingsUpdateInput),
  'drugs.list': request<Versioned<Drug>[]>()(noInput),
  'drugs.save': request<Drug>()(drugSaveInput),
  'devices.list': request<Versioned<DeviceModel>[]>()(noInput),
  'devices.save': request<DeviceModel>()(deviceSaveInput),
  'pumps.implant': request<Pump>()(pumpImplantInput),
  'pumps.list': request<Pump[]>()(noInput),
  'pumps.search': request<PumpSearchResult>()(pumpSearchInput),
  'pumps.recall': request<PumpRecallResult>()(pumpRecallInput),
  'refills.preview': request<RefillPreview>()(refillPreviewInput),
  'refills.record': request<{ refill: Refill; warnings: Warning[]; verification?: EntryVerification | null }>()(refillInput),
  'doseChanges.preview': request<DoseChangePreview>()(doseChangePreviewInput),
  'doseChanges.record': request<{ doseChange: DoseChange; warnings: Warning[]; drugs: DoseChangeDrug[]; verification?: EntryVerification | null }>()(doseChangeInput),
  'events.record': request<ClinicalEvent>()(eventInput),
  'events.resolve': request<ClinicalEvent>()(eventResolveInput),
  'events.mriPostScan': request<ClinicalEvent>()(mriPostScanInput),
  'reversals.record': request<Pump>()(reversalInput),
  'removals.record': request<{ removed: Pump; replacement: Pump | null }>()(removalInput),
  'restarts.record': request<{ pump: Pump; refill: Refill; warnings: Warning[]; verification?: EntryVerification | null }>()(therapyRestartInput),
  'entries.sign': request<EntryAttestation>()(entrySignInput),
  'entries.amend': request<EntryAttestation>()(entryAmendInput),
  'verifications.list': request<{ total: number; entries: AwaitingVerification[] }>()(verificationListInput),
  'verifications.verify': request<EntryVerification>()(verificationVerifyInput),
  'verifications.reject': request<EntryVerification>()(verificationRejectInput),
  'appointments.book': request<Appointment>()(appointmentBookInput),
  'appointments.list': request<Appointment[]>()(appointmentListInput),
  'appointments.mark': request<Appointment>()(appointmentMarkInput),
  'appointments.reschedule': request<RescheduledAppointment>()(appointmentRescheduleInput),
  'appointments.call': request<Appointment>()(appointmentCallInput),
  'appointments.day': request<ClinicDay>()(appointmentDayInput),
  'appointments.export': request<AppointmentExport>()(appointmentExportInput),
  'worklist.get': request<Worklist>()(worklistInput),
  'reports.preview': request<ReportData>()(reportPreviewInput),
  'reports.export.start': request<ExportJobStatus>()(exportStartInput),
  'reports.export.status': request<ExportJobStatus>()(exportJobInput),
  'reports.export.cancel': request<ExportJobStatus>()(exportJobInput),
  'reports.export.save': request<ExportSaveResult>()(exportJobInput),
  'backups.list': request<BackupOverview>()(backupListInput),
  'backups.create': request<BackupInfo>()(backupCreateInput),
  'backups.restore': request<BackupRestoreResult>()(backupRestoreInput),
  'backups.configure': request<BackupOverview>()(backupConfigureInput),
} as const satisfies { [K in RequestName]: RequestSpec<z.ZodType, unknown> };

type Contract = typeof contract;
/** What a caller sends. */
export type InputOf<K extends RequestName> = z.input<Contract[K]['input']>;
/** What a handler receives, after validation and normalisation. */
export type ParsedInputOf<K extends RequestName> = z.output<Contract[K]['input']>;
/** What the request answers with on success. */
export type OutputOf<K extends RequestName> = Contract[K] extends RequestSpec<z.ZodType, infer O> ? O : never;

/** The object the renderer calls: one async function per request, nothing else. */
export type ReservoirApi = { [K in RequestName]: (input: InputOf<K>) => Promise<Result<OutputOf<K>>> };

export { REQUEST_NAMES, IPC_CHANNEL, isRequestName, type RequestName } from './names';
export * from './result';
