/**
 * A base for the error classes routers tell apart with `instanceof`, which then compares names.
 * Next runs the services it starts at boot (server/boot.ts) and each route from bundles of
 * their own, each with its own copy of a class, and errors the services throw reach a route's
 * checks: a prototype check failed there (an archive refusal answered 500). Names are given, not
 * read off the class, since the bundler shortens class names.
 */
export function namedError(name: string) {
  return class extends Error {
    constructor(message?: string) {
      super(message);
      this.name = name;
    }

    static [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Error && value.name === name;
    }
  };
}
