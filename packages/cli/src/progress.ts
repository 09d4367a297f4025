import cliProgress from 'cli-progress';
import type { CliConfig } from '@airlock/config';

export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A progress bar on stderr with rate and ETA when stderr is a terminal; silent otherwise
 * (CI logs and pipes get the summary only), unless `style` is `lines` (`AIRLOCK_PROGRESS=lines`):
 * one plain line per update, for logs and for programs that watch a long run.
 */
export function progressBar(style: CliConfig['progress'], label: string, total: number, unit: string, note = ''): Progress {
  if (style === 'lines') return progressLines(label, total, unit);
  if (!process.stderr.isTTY || total <= 0) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted} ${note}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '0', loaded: 0, rejected: 0, rows_per_s: 0, phase: '' });
  return {
    update(done, extra = {}) {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(Math.min(done, total), { rate: formatRate(done / seconds), ...extra });
    },
    stop() {
      bar.stop();
    },
  };
}

function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1);
}

function progressLines(label: string, total: number, unit: string): Progress {
  return {
    update(done, extra = {}) {
      const notes = Object.entries(extra).map(([k, v]) => ` ${k}=${v}`).join('');
      process.stderr.write(`progress ${label}: ${done}/${total} ${unit}${notes}\n`);
    },
    stop: () => undefined,
  };
}
