/**
 * Runs async tasks in the order given with at most `max` in flight. The sales
 * screen asks for seven reports: the server answers the first (KPIs, daily
 * line) sooner when the others queue behind it instead of competing.
 */
export function limited(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    if (active >= max) return;
    const start = waiting.shift();
    if (start) {
      active++;
      start();
    }
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        // The slot is freed (and the next task started) before the caller resumes.
        task()
          .finally(() => {
            active--;
            next();
          })
          .then(resolve, reject);
      });
      next();
    });
}
