import { describe, expect, it } from 'vitest';
import { concentrationQuantity, dailyDoseQuantity, exactDecimal, mlQuantity } from './quantities';
import { parseGs1Udi } from './udi';
import { clinicUuids, uuidV5 } from './uuid';

describe('uuidV5', () => {
  it('matches the published example (Python docs: uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
  it('per clinic: the same key gives the same id, another key or clinic another', () => {
    const a = clinicUuids('Lakeside');
    expect(a('Patient/1')).toBe(clinicUuids('Lakeside')('Patient/1'));
    expect(a('Patient/1')).not.toBe(a('Patient/2'));
    expect(a('Patient/1')).not.toBe(clinicUuids('Hillside')('Patient/1'));
  });
});

describe('parseGs1Udi', () => {
  it('reads DI, lot, serial and dates; day 00 is the last day of the month', () => {
    expect(parseGs1Udi('(01)00643169007222(11)240229(17)280200(10)LOT-7(21)NGV123456')).toEqual({
      deviceIdentifier: '00643169007222',
      lotNumber: 'LOT-7',
      serialNumber: 'NGV123456',
      manufactureDate: '2024-02-29',
      expirationDate: '2028-02-29', // 2028 is a leap year
    });
    expect(parseGs1Udi('(01)00643169007222(17)270200')?.expirationDate).toBe('2027-02-28');
  });
  it('refuses what is not GS1 with a 14-digit DI first, and impossible dates', () => {
    expect(parseGs1Udi('+H123PUMP01/$$3230101LOT')).toBeNull();
    expect(parseGs1Udi('(01)0064316900722(21)X')).toBeNull(); // 13 digits
    expect(parseGs1Udi('(21)X(01)00643169007222')).toBeNull();
    expect(parseGs1Udi('(01)00643169007222 trailing')).toBeNull();
    expect(parseGs1Udi('(01)00643169007222(17)261301')?.expirationDate).toBeNull();
    expect(parseGs1Udi('(01)00643169007222(17)260230')?.expirationDate).toBeNull();
  });
});

describe('quantities from whole µL and ng, exact', () => {
  it('writes the decimal from integers', () => {
    expect(exactDecimal(4500, 1000)).toBe(4.5);
    expect(exactDecimal(-1250, 1000)).toBe(-1.25);
    expect(exactDecimal(1, 1_000_000)).toBe(0.000001);
    expect(exactDecimal(100_500, 1000)).toBe(100.5);
  });
  it('uses UCUM mg/d and ug/d, never mixing them', () => {
    const UCUM = 'http://unitsofmeasure.org';
    expect(dailyDoseQuantity(500_000, 'mg')).toEqual({ value: 0.5, unit: 'mg/d', system: UCUM, code: 'mg/d' });
    expect(dailyDoseQuantity(150_000, 'mcg')).toEqual({ value: 150, unit: 'mcg/d', system: UCUM, code: 'ug/d' });
    expect(dailyDoseQuantity(2_400, 'mcg')).toEqual({ value: 2.4, unit: 'mcg/d', system: UCUM, code: 'ug/d' }); // ziconotide start
    expect(concentrationQuantity(2_000_000, 'mcg')).toEqual({ value: 2000, unit: 'mcg/mL', system: UCUM, code: 'ug/mL' });
    expect(concentrationQuantity(25_000_000, 'mg')).toEqual({ value: 25, unit: 'mg/mL', system: UCUM, code: 'mg/mL' });
    expect(mlQuantity(250)).toEqual({ value: 0.25, unit: 'mL', system: UCUM, code: 'mL' });
  });
});
