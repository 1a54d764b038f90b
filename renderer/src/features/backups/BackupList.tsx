import type { BackupInfo } from '../../../../shared/contract/backups';
import { kindLabel, size, when } from './format';

/** The backups in the folder, newest first, each with a Restore button. */
export function BackupList({ backups, onRestore, disabled }: { backups: BackupInfo[]; onRestore: (b: BackupInfo) => void; disabled: boolean }) {
  if (backups.length === 0) return <p className="hint">There are no backups in this folder yet.</p>;
  return (
    <table className="list" aria-label="Backups">
      <thead>
        <tr>
          <th scope="col">Made</th>
          <th scope="col">Kind</th>
          <th scope="col">Schema</th>
          <th scope="col">Size</th>
          <th scope="col">File</th>
          <th scope="col">
            <span className="visually-hidden">Restore</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {backups.map((b) => (
          <tr key={b.name}>
            <td>{when(b.createdAtMs)}</td>
            <td>{kindLabel(b.kind)}</td>
            <td>v{b.schemaVersion}</td>
            <td>{size(b)}</td>
            <td className="mono">{b.name}</td>
            <td>
              <button type="button" className="secondary" disabled={disabled} onClick={() => onRestore(b)}>
                Restore…
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
