import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

/**
 * Writes the SVG next to the PNG and converts it with rsvg-convert (Debian
 * `librsvg2-bin`): a system tool rather than a native npm dependency. Without
 * it only the SVG is written and the caller is told so.
 */
export async function writeSvgAndPng(svg: string, pngPath: string): Promise<{ svgPath: string; png: boolean; reason?: string }> {
  const svgPath = pngPath.replace(/\.png$/, '.svg');
  await writeFile(svgPath, svg);
  const result = await new Promise<{ code: number | null; stderr: string; error?: Error }>((res) => {
    const child = spawn('rsvg-convert', ['--format=png', '--output', pngPath, svgPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => res({ code: null, stderr, error }));
    child.on('close', (code) => res({ code, stderr }));
  });
  if (result.error) return { svgPath, png: false, reason: `rsvg-convert not available (${result.error.message}); apt-get install librsvg2-bin` };
  if (result.code !== 0) return { svgPath, png: false, reason: `rsvg-convert exited ${result.code}: ${result.stderr.trim()}` };
  return { svgPath, png: true };
}
