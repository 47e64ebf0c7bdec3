// Charts with Chart.js, loaded only on the pages that draw them (a separate bundle chunk).
import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

export function Chart(props: { config: ChartConfiguration; label: string; id?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import('chart.js/auto').then(({ default: ChartJs }) => {
      if (cancelled || !canvas.current) return;
      chart = new ChartJs(canvas.current, {
        ...props.config,
        options: { animation: false, maintainAspectRatio: false, ...props.config.options },
      });
      canvas.current.dataset.drawn = 'true';
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [props.config]);
  return (
    <figure class="chart">
      <canvas ref={canvas} id={props.id} role="img" aria-label={props.label} />
    </figure>
  );
}
