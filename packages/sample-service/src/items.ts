/** The demo API's data: a deterministic catalogue plus items created at runtime. */

export interface Item {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
}

/** Thrown for a request body that is not a valid new item; becomes a 400. */
export class ItemValidationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ItemValidationError";
  }
}

const NOUNS = ["widget", "gadget", "sprocket", "gizmo", "doohickey", "flange", "bracket", "valve"];

/** An in-memory item store seeded with `count` predictable items. */
export class ItemStore {
  readonly #items = new Map<string, Item>();
  #next: number;

  constructor(count = 50) {
    for (let i = 1; i <= count; i++) {
      const id = String(i);
      this.#items.set(id, {
        id,
        name: `${NOUNS[i % NOUNS.length]} ${i}`,
        priceCents: 100 + ((i * 7919) % 9900),
        stock: (i * 31) % 200,
      });
    }
    this.#next = count + 1;
  }

  list(limit: number, offset: number): { items: Item[]; total: number } {
    const all = [...this.#items.values()];
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  get(id: string): Item | undefined {
    return this.#items.get(id);
  }

  /** Validates `body` as `{ name: string, priceCents: integer >= 0, stock?: integer >= 0 }`. */
  create(body: unknown): Item {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ItemValidationError(
        'Body must be a JSON object like {"name":"bolt","priceCents":250}',
      );
    }
    const { name, priceCents, stock = 0 } = body as Record<string, unknown>;
    if (typeof name !== "string" || name.trim() === "" || name.length > 200) {
      throw new ItemValidationError('"name" must be a non-empty string of at most 200 characters');
    }
    if (typeof priceCents !== "number" || !Number.isInteger(priceCents) || priceCents < 0) {
      throw new ItemValidationError('"priceCents" must be a non-negative integer (250 for 2.50)');
    }
    if (typeof stock !== "number" || !Number.isInteger(stock) || stock < 0) {
      throw new ItemValidationError('"stock" must be a non-negative integer when given');
    }
    const item: Item = { id: String(this.#next++), name: name.trim(), priceCents, stock };
    this.#items.set(item.id, item);
    return item;
  }
}
