import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareDemoDir } from '../../../engine/backtest/demo-dir';
import { ConfigError } from '../../../engine/shared/errors';

describe('when the demo prepares the folder it keeps its journal and paper account in', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-demo-dir-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('should create a new folder with its marker', () => {
    const d = prepareDemoDir(path.join(root, 'data', 'demo'));
    expect(d).toEqual({ dir: path.join(root, 'data', 'demo'), journal: path.join(root, 'data', 'demo', 'journal.db'), paperState: path.join(root, 'data', 'demo', 'paper.db') });
    expect(fs.readdirSync(d.dir)).toEqual(['.thetadesk-demo']);
  });

  it("should replace the previous demo's files and keep anything else", () => {
    const d = prepareDemoDir(path.join(root, 'demo'));
    for (const f of ['journal.db', 'journal.db-wal', 'journal.db-shm', 'paper.db', 'paper.db-wal', 'notes.txt']) fs.writeFileSync(path.join(d.dir, f), 'old');
    prepareDemoDir(d.dir);
    expect(fs.readdirSync(d.dir).sort()).toEqual(['.thetadesk-demo', 'notes.txt']);
  });

  it('should take an empty existing folder', () => {
    fs.mkdirSync(path.join(root, 'empty'));
    expect(() => prepareDemoDir(path.join(root, 'empty'))).not.toThrow();
  });

  it('should refuse a folder it did not make, such as the real journal\'s, deleting nothing', () => {
    const data = path.join(root, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'paper.db'), 'the real paper account');
    expect(() => prepareDemoDir(data)).toThrow(ConfigError);
    expect(() => prepareDemoDir(data)).toThrow(/demo folder .*data holds files the demo did not make \(paper\.db\); pick an empty or new --dir/);
    expect(fs.readFileSync(path.join(data, 'paper.db'), 'utf8')).toBe('the real paper account');
  });

  it('should refuse a file', () => {
    fs.writeFileSync(path.join(root, 'f'), '');
    expect(() => prepareDemoDir(path.join(root, 'f'))).toThrow(/demo folder .*f: not a directory/);
  });
});
