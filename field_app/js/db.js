// IndexedDB storage of the field app: the outbox, the photos, the catalog, the session.
//
// Why one transaction per capture with durability "strict": the app says "saved" only
// after the dossier record and every photo are on disk together, so a phone that dies
// right after never holds half a dossier.  Stores are only ever added in upgrades,
// never dropped, so an app update keeps everything captured before it.

const DB_NAME = "onestop-field";
const DB_VERSION = 1;

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
      if (!db.objectStoreNames.contains("outbox")) {
        const s = db.createObjectStore("outbox", { keyPath: "client_uuid" });
        s.createIndex("by_user", "user_id");
      }
      if (!db.objectStoreNames.contains("blobs")) db.createObjectStore("blobs", { keyPath: "sha256" });
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close(); // a newer app version in another tab wants to upgrade
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("IndexedDB upgrade blocked by another tab"));
  });
}

export class Store {
  constructor(db) { this.db = db; }

  static async open() { return new Store(await openDb()); }

  tx(stores, mode = "readonly", strict = false) {
    return this.db.transaction(stores, mode, strict ? { durability: "strict" } : undefined);
  }

  async getMeta(key) {
    const row = await promisify(this.tx("meta").objectStore("meta").get(key));
    return row ? row.value : null;
  }

  async setMeta(key, value) {
    const tx = this.tx("meta", "readwrite", true);
    tx.objectStore("meta").put({ key, value });
    await done(tx);
  }

  async deleteMeta(key) {
    const tx = this.tx("meta", "readwrite", true);
    tx.objectStore("meta").delete(key);
    await done(tx);
  }

  async listOutbox() { return promisify(this.tx("outbox").objectStore("outbox").getAll()); }

  async getItem(uuid) { return promisify(this.tx("outbox").objectStore("outbox").get(uuid)); }

  async putItem(item) {
    const tx = this.tx("outbox", "readwrite", true);
    tx.objectStore("outbox").put(item);
    await done(tx);
  }

  /** The dossier record and all its files in one durable transaction. */
  async saveCapture(item, blobs) {
    const tx = this.tx(["outbox", "blobs"], "readwrite", true);
    const bs = tx.objectStore("blobs");
    for (const b of blobs) bs.put(b);
    tx.objectStore("outbox").put(item);
    await done(tx);
  }

  async getBlob(sha) {
    const row = await promisify(this.tx("blobs").objectStore("blobs").get(sha));
    return row ? row.blob : null;
  }

  static hashesOf(item) {
    const out = item.attachments.map((a) => a.sha256);
    if (item.consent) out.push(item.consent.sha256);
    return out;
  }

  /** Free the photos of a sent item (the server has them) unless an unsent item still needs them. */
  async releaseBlobs(item) {
    const others = (await this.listOutbox()).filter((i) => i.client_uuid !== item.client_uuid && i.state !== "sent");
    const keep = new Set(others.flatMap((i) => Store.hashesOf(i)));
    const tx = this.tx("blobs", "readwrite");
    for (const h of Store.hashesOf(item)) if (!keep.has(h)) tx.objectStore("blobs").delete(h);
    await done(tx);
  }

  /** Discard an item the person chose to delete, with its photos. */
  async deleteItem(item) {
    await this.releaseBlobs(item);
    const tx = this.tx("outbox", "readwrite", true);
    tx.objectStore("outbox").delete(item.client_uuid);
    await done(tx);
  }

  async getSyncState() { return this.getMeta("sync_state"); }

  async setSyncState(state) { return this.setMeta("sync_state", state); }
}
