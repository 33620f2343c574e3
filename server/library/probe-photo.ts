// Photos: EXIF (taken date, camera, orientation, GPS) through exifr, pixel size from the header.
import exifr from 'exifr';
import { imageSizeFromFile } from 'image-size/fromFile';
import { basename, extname } from 'node:path';
import type { PhotoInfo } from './probe-types.js';

interface Exif {
  DateTimeOriginal?: Date;
  CreateDate?: Date;
  Make?: string;
  Model?: string;
  Orientation?: number;
  latitude?: number;
  longitude?: number;
  ExifImageWidth?: number;
  ExifImageHeight?: number;
}

/** `read`: what is opened (the scanner's checked descriptor); `path` names the photo. */
export async function probePhoto(path: string, read = path): Promise<PhotoInfo> {
  const size = await imageSizeFromFile(read).catch((err: Error) => {
    throw new Error(`not a readable image: ${err.message}`);
  });
  let exif: Exif | undefined;
  try {
    exif = (await exifr.parse(read, { translateValues: false, gps: true, pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'Orientation', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef', 'ExifImageWidth', 'ExifImageHeight'] })) as Exif | undefined;
  } catch {
    exif = undefined; // unreadable EXIF is not an unreadable photo
  }
  const taken = exif?.DateTimeOriginal ?? exif?.CreateDate;
  return {
    title: basename(path, extname(path)),
    takenAt: taken instanceof Date && !Number.isNaN(taken.getTime()) ? taken.getTime() : null,
    cameraMake: exif?.Make?.trim() || null,
    cameraModel: exif?.Model?.trim() || null,
    orientation: exif?.Orientation ?? (size.orientation ?? null),
    width: size.width ?? exif?.ExifImageWidth ?? null,
    height: size.height ?? exif?.ExifImageHeight ?? null,
    latitude: Number.isFinite(exif?.latitude) ? exif!.latitude! : null,
    longitude: Number.isFinite(exif?.longitude) ? exif!.longitude! : null,
  };
}
