// d3_peer.js - one run of the d3-cloud peer (layout only) on @napi-rs/canvas.
//
// Usage: node d3_peer.js JOB.json RESULT.json
//
// Times layout.start() until 'end' ("in-process layout"); the driver times
// the whole process.  d3-cloud writes no image, so after the timed part the
// placed words are drawn once more, each alone, to measure ink coverage and
// pixel overlaps the same way for every tool (not timed).
'use strict';

const tProcess = performance.now();
const fs = require('fs');
const path = require('path');
const { createCanvas, GlobalFonts } = require('@napi-rs/canvas');
const cloud = require('d3-cloud');

const FAMILY = 'VotecloudBenchFont';

// mulberry32: a small seeded PRNG, so d3-cloud's start points and spiral
// directions are the same run after run.
function seeded(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readCounts(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [text, count] = line.split('\t');
    return { text, count: Number(count) };
  });
}

// Draws each placed word alone; returns covered pixels (any ink) and
// pixels where two or more words' ink is at least half opaque.
function inkCheck(tags, width, height, weight) {
  const any = new Uint8Array(width * height);
  const solid = new Uint8Array(width * height);
  for (const d of tags) {
    const c = createCanvas(1, 1).getContext('2d');
    c.font = `${weight} ${d.size}px ${FAMILY}`;
    const m = c.measureText(d.text);
    const left = Math.ceil(m.actualBoundingBoxLeft) + 2;
    const w = left + Math.ceil(m.actualBoundingBoxRight) + 4;
    const up = Math.ceil(m.actualBoundingBoxAscent) + 2;
    const h = up + Math.ceil(m.actualBoundingBoxDescent) + 4;
    const canvas = createCanvas(w, h);
    const ctx = canvas.getContext('2d');
    ctx.font = c.font;
    ctx.textAlign = 'center';
    // d3-cloud's origin is the word's centre on the baseline, relative to
    // the canvas centre (as its SVG examples draw it: text-anchor middle).
    const ox = d.x + (width >> 1);
    const oy = d.y + (height >> 1);
    const fx = Math.floor(ox) - left;
    const fy = Math.floor(oy) - up;
    ctx.fillText(d.text, ox - fx, oy - fy);
    const px = ctx.getImageData(0, 0, w, h).data;
    for (let j = 0; j < h; j++) {
      const y = fy + j;
      if (y < 0 || y >= height) continue;
      for (let i = 0; i < w; i++) {
        const x = fx + i;
        if (x < 0 || x >= width) continue;
        const a = px[(j * w + i) * 4 + 3];
        if (a > 0) any[y * width + x] = 1;
        if (a >= 128 && solid[y * width + x] < 255) solid[y * width + x]++;
      }
    }
  }
  let covered = 0;
  let overlap = 0;
  for (let k = 0; k < any.length; k++) {
    covered += any[k];
    if (solid[k] >= 2) overlap++;
  }
  return { ink: covered / (width * height), overlap_px: overlap };
}

function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  GlobalFonts.registerFromPath(path.resolve(job.font), FAMILY);
  const entries = readCounts(job.counts);
  const top = entries.reduce((m, e) => Math.max(m, e.count), 0);
  const words = entries.map((e) => ({
    text: e.text, count: e.count, requested: job.max_font_size * e.count / top,
  }));
  const layout = cloud()
    .size([job.width, job.height])
    .words(words)
    .canvas(() => createCanvas(1, 1))
    .font(FAMILY)
    .fontWeight(job.weight || 'bold')
    .fontSize((d) => d.requested)
    .padding(job.padding)
    .rotate(0)
    .spiral('archimedean')
    .random(seeded(job.seed));
  let tEnd = null;
  let placed = null;
  layout.on('end', (tags) => {
    tEnd = performance.now();
    placed = tags;
  });
  const t0 = performance.now();
  layout.start();
  if (!placed) {
    throw new Error('d3-cloud did not finish synchronously');
  }
  const result = {
    layout_s: (tEnd - t0) / 1000,
    startup_s: (t0 - tProcess) / 1000,
    considered: words.length,
    layout: placed.map((d) => ({
      text: d.text, size: d.size, requested: d.requested, x: d.x, y: d.y,
      box: [d.x + d.x0, d.y + d.y0, d.x + d.x1, d.y + d.y1],
    })),
  };
  if (job.ink) {
    Object.assign(result, inkCheck(placed, job.width, job.height, job.weight || 'bold'));
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(result));
}

main();
