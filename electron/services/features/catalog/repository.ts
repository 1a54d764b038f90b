import { DEFAULT_BOOKING_AFTER_ALARM, DEFAULT_BOOKING_AFTER_NEXT_DUE } from '../../../../shared/domain/appointments';
import type Database from 'better-sqlite3-multiple-ciphers';
import { ReadCache } from '../../store/read-cache';
import type { ClinicSettings, DeviceModel, Drug } from '../../../../shared/contract/record';
import type { MassUnitName } from '../../../../shared/contract/quantities';

interface DrugRow {
  id: number;
  name: string;
  unit: MassUnitName;
  typical_conc_min_ng_per_ml: number | null;
  typical_conc_max_ng_per_ml: number | null;
  max_conc_ng_per_ml: number | null;
  typical_dose_min_ng_per_day: number | null;
  typical_dose_max_ng_per_day: number | null;
  max_dose_ng_per_day: number | null;
  stability_days: number | null;
  first_fill_stability_days: number | null;
  undiluted_conc_ng_per_ml: number | null;
  undiluted_stability_days: number | null;
  stability_source: string | null;
  withdrawal_warning: string | null;
  max_step_up_soft_pct: number | null;
  max_step_up_hard_pct: number | null;
  max_step_up_soft_ng_per_day: number | null;
  max_week_step_up_soft_ng_per_day: number | null;
  limits_source: string | null;
}

const pair = (min: number | null, max: number | null) => (min === null || max === null ? null : { min, max });

function toDrug(r: DrugRow): Drug {
  return {
    id: r.id,
    name: r.name,
    unit: r.unit,
    typicalConcNgPerMl: pair(r.typical_conc_min_ng_per_ml, r.typical_conc_max_ng_per_ml),
    maxConcNgPerMl: r.max_conc_ng_per_ml,
    typicalDoseNgPerDay: pair(r.typical_dose_min_ng_per_day, r.typical_dose_max_ng_per_day),
    maxDoseNgPerDay: r.max_dose_ng_per_day,
    stabilityDays: r.stability_days,
    firstFillStabilityDays: r.first_fill_stability_days,
    undilutedConcNgPerMl: r.undiluted_conc_ng_per_ml,
    undilutedStabilityDays: r.undiluted_stability_days,
    stabilitySource: r.stability_source,
    withdrawalWarning: r.withdrawal_warning,
    maxStepUpSoftPct: r.max_step_up_soft_pct,
    maxStepUpHardPct: r.max_step_up_hard_pct,
    maxStepUpSoftNgPerDay: r.max_step_up_soft_ng_per_day,
    maxWeekStepUpSoftNgPerDay: r.max_week_step_up_soft_ng_per_day,
    limitsSource: r.limits_source,
  };
}

interface DeviceRow {
  id: number;
  manufacturer: string;
  model: string;
  catalogue_numbers: string;
  aliases: string;
  reservoir_ul: number;
  default_alarm_ul: number;
  service_life_months: number | null;
  replacement_lead_months: number;
  kind: DeviceModel['kind'];
  mri_notes: string | null;
}

function toDevice(r: DeviceRow): DeviceModel {
  return {
    id: r.id,
    manufacturer: r.manufacturer,
    model: r.model,
    aliases: JSON.parse(r.aliases) as string[],
    catalogueNumbers: JSON.parse(r.catalogue_numbers) as string[],
    reservoirUl: r.reservoir_ul,
    defaultAlarmUl: r.default_alarm_ul,
    serviceLifeMonths: r.service_life_months,
    replacementLeadMonths: r.replacement_lead_months,
    kind: r.kind,
    mriNotes: r.mri_notes,
  };
}

export const DEFAULT_SETTINGS: ClinicSettings = {
  clinicName: 'Reservoir clinic',
  // Not set until an administrator types it (Settings): the card prints a blank line to write in.
  clinicPhone: '',
  timeZone: 'UTC',
  safetyMarginDays: 7,
  maxIntervalDays: 180,
  discrepancyThresholdSmallUl: 1000,
  discrepancyThresholdLargeUl: 2000,
  smallReservoirMaxUl: 20000,
  dueWindowDays: 14,
  // Independent double check (issue 17): on out of the box, as safety bodies recommend for
  // intrathecal high-alert medications; administrators may turn each category off in Settings.
  doubleCheckDoseIncreases: true,
  doubleCheckSoftLimitOverrides: true,
  // Refill appointments (issue 16): after the alarm date the patient is at risk of withdrawal
  // within days, so booking is refused; after the next-due date it is allowed with a reason.
  bookingAfterAlarm: DEFAULT_BOOKING_AFTER_ALARM,
  bookingAfterNextDue: DEFAULT_BOOKING_AFTER_NEXT_DUE,
};

/** The drug list, the device catalog and the clinic settings. */
export class CatalogRepository {
  private readonly drugsStmt;
  private readonly drugByNameStmt;
  private readonly drugByIdStmt;
  private readonly devicesStmt;
  private readonly settingsStmt;
  private readonly setSettingStmt;
  private readonly insertDrugStmt;
  private readonly updateDrugStmt;
  private readonly insertDeviceStmt;
  private readonly updateDeviceStmt;

  private readonly drugList: Map<'all', Drug[]>;
  private readonly deviceList: Map<'all', DeviceModel[]>;
  private readonly settingsValue: Map<'all', ClinicSettings>;

  constructor(
    db: Database.Database,
    private readonly cache: ReadCache = new ReadCache(db),
  ) {
    this.drugList = cache.map();
    this.deviceList = cache.map();
    this.settingsValue = cache.map();
    this.drugsStmt = db.prepare<[], DrugRow>('SELECT * FROM drugs ORDER BY name COLLATE NOCASE');
    this.drugByNameStmt = db.prepare<[string], DrugRow>('SELECT * FROM drugs WHERE name = ? COLLATE NOCASE');
    this.drugByIdStmt = db.prepare<[number], DrugRow>('SELECT * FROM drugs WHERE id = ?');
    this.devicesStmt = db.prepare<[], DeviceRow>('SELECT * FROM device_models ORDER BY manufacturer, model, reservoir_ul');
    this.settingsStmt = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.setSettingStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const drugCols = `name, unit, typical_conc_min_ng_per_ml, typical_conc_max_ng_per_ml, max_conc_ng_per_ml,
      typical_dose_min_ng_per_day, typical_dose_max_ng_per_day, max_dose_ng_per_day, stability_days, first_fill_stability_days,
      undiluted_conc_ng_per_ml, undiluted_stability_days, stability_source, withdrawal_warning,
      max_step_up_soft_pct, max_step_up_hard_pct, max_step_up_soft_ng_per_day, max_week_step_up_soft_ng_per_day, limits_source`;
    const drugVals = `@name, @unit, @typical_conc_min_ng_per_ml, @typical_conc_max_ng_per_ml, @max_conc_ng_per_ml,
      @typical_dose_min_ng_per_day, @typical_dose_max_ng_per_day, @max_dose_ng_per_day, @stability_days, @first_fill_stability_days,
      @undiluted_conc_ng_per_ml, @undiluted_stability_days, @stability_source, @withdrawal_warning,
      @max_step_up_soft_pct, @max_step_up_hard_pct, @max_step_up_soft_ng_per_day, @max_week_step_up_soft_ng_per_day, @limits_source`;
    this.insertDrugStmt = db.prepare(`INSERT INTO drugs (${drugCols}) VALUES (${drugVals})`);
    this.updateDrugStmt = db.prepare(
      `UPDATE drugs SET (${drugCols}) = (${drugVals}) WHERE id = @id`,
    );
    const devCols = 'manufacturer, model, catalogue_numbers, aliases, reservoir_ul, default_alarm_ul, service_life_months, replacement_lead_months, kind, mri_notes';
    const devVals = '@manufacturer, @model, @catalogue_numbers, @aliases, @reservoir_ul, @default_alarm_ul, @service_life_months, @replacement_lead_months, @kind, @mri_notes';
    this.insertDeviceStmt = db.prepare(`INSERT INTO device_models (${devCols}) VALUES (${devVals})`);
    this.updateDeviceStmt = db.prepare(`UPDATE device_models SET (${devCols}) = (${devVals}) WHERE id = @id`);
  }

  /** The drug list (memoised: every refill reads it; see ReadCache). */
  drugs(): Drug[] {
    this.cache.check();
    let list = this.drugList.get('all');
    if (!list) this.drugList.set('all', (list = this.drugsStmt.all().map(toDrug)));
    return list.map((d) => ({ ...d }));
  }
  drugByName(name: string): Drug | null {
    const r = this.drugByNameStmt.get(name);
    return r ? toDrug(r) : null;
  }
  drugById(id: number): Drug | null {
    const r = this.drugByIdStmt.get(id);
    return r ? toDrug(r) : null;
  }
  saveDrug(d: Omit<Drug, 'id'> & { id?: number }): Drug {
    const row = {
      name: d.name,
      unit: d.unit,
      typical_conc_min_ng_per_ml: d.typicalConcNgPerMl?.min ?? null,
      typical_conc_max_ng_per_ml: d.typicalConcNgPerMl?.max ?? null,
      max_conc_ng_per_ml: d.maxConcNgPerMl,
      typical_dose_min_ng_per_day: d.typicalDoseNgPerDay?.min ?? null,
      typical_dose_max_ng_per_day: d.typicalDoseNgPerDay?.max ?? null,
      max_dose_ng_per_day: d.maxDoseNgPerDay,
      stability_days: d.stabilityDays,
      first_fill_stability_days: d.firstFillStabilityDays,
      undiluted_conc_ng_per_ml: d.undilutedConcNgPerMl,
      undiluted_stability_days: d.undilutedStabilityDays,
      stability_source: d.stabilitySource,
      withdrawal_warning: d.withdrawalWarning,
      max_step_up_soft_pct: d.maxStepUpSoftPct,
      max_step_up_hard_pct: d.maxStepUpHardPct,
      max_step_up_soft_ng_per_day: d.maxStepUpSoftNgPerDay,
      max_week_step_up_soft_ng_per_day: d.maxWeekStepUpSoftNgPerDay,
      limits_source: d.limitsSource,
    };
    this.cache.clear(); // refill histories carry drug names: drop every memoised read
    if (d.id === undefined) return this.drugById(Number(this.insertDrugStmt.run(row).lastInsertRowid))!;
    this.updateDrugStmt.run({ ...row, id: d.id });
    return this.drugById(d.id)!;
  }

  devices(): DeviceModel[] {
    this.cache.check();
    let list = this.deviceList.get('all');
    if (!list) this.deviceList.set('all', (list = this.devicesStmt.all().map(toDevice)));
    return list.map((d) => ({ ...d, aliases: [...d.aliases], catalogueNumbers: [...d.catalogueNumbers] }));
  }
  deviceById(id: number): DeviceModel | null {
    return this.devices().find((d) => d.id === id) ?? null;
  }
  saveDevice(d: Omit<DeviceModel, 'id'> & { id?: number }): DeviceModel {
    const row = {
      manufacturer: d.manufacturer,
      model: d.model,
      catalogue_numbers: JSON.stringify(d.catalogueNumbers),
      aliases: JSON.stringify(d.aliases),
      reservoir_ul: d.reservoirUl,
      default_alarm_ul: d.defaultAlarmUl,
      service_life_months: d.serviceLifeMonths,
      replacement_lead_months: d.replacementLeadMonths,
      kind: d.kind,
      mri_notes: d.mriNotes,
    };
    this.cache.clear();
    if (d.id === undefined) return this.deviceById(Number(this.insertDeviceStmt.run(row).lastInsertRowid))!;
    this.updateDeviceStmt.run({ ...row, id: d.id });
    return this.deviceById(d.id)!;
  }

  settings(): ClinicSettings {
    this.cache.check();
    let value = this.settingsValue.get('all');
    if (!value) {
      const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
      for (const { key, value } of this.settingsStmt.all()) if (key in DEFAULT_SETTINGS) out[key] = JSON.parse(value);
      this.settingsValue.set('all', (value = out as unknown as ClinicSettings));
    }
    return { ...value };
  }
  updateSettings(patch: Partial<ClinicSettings>): ClinicSettings {
    this.cache.clear();
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) this.setSettingStmt.run(key, JSON.stringify(value));
    return this.settings();
  }
}
