import { crc32, deflateRawSync } from 'node:zlib';

/** A plain zip (deflated entries, sizes in the local headers, no zip64): enough for the client's unzip-stream. */
export function zip(files: Readonly<Record<string, string | Buffer>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const entry = zipEntry(path, Buffer.from(content), offset);
    locals.push(entry.local);
    centrals.push(entry.central);
    offset += entry.local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function zipEntry(path: string, content: Buffer, offset: number): { local: Buffer; central: Buffer } {
  const name = Buffer.from(path, 'utf8');
  const data = deflateRawSync(content);
  // Fields shared by both headers, from "version needed" to "file name length" (APPNOTE 4.3.7 and 4.3.12).
  const common = Buffer.alloc(26);
  common.writeUInt16LE(20, 0); // version needed: 2.0, deflate
  common.writeUInt16LE(0x0800, 2); // names are UTF-8
  common.writeUInt16LE(8, 4); // deflate
  common.writeUInt16LE(0x21, 8); // date 1980-01-01, time 00:00
  common.writeUInt32LE(crc32(content), 10);
  common.writeUInt32LE(data.length, 14);
  common.writeUInt32LE(content.length, 18);
  common.writeUInt16LE(name.length, 22);
  const localSignature = Buffer.alloc(4);
  localSignature.writeUInt32LE(0x04034b50, 0);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // made by: 2.0
  common.subarray(0, 24).copy(central, 6);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([localSignature, common, name, data]), central: Buffer.concat([central, name]) };
}
