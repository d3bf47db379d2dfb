/** Values that throw when rxflow looks at them, one way or another: what a guard must survive. */
export function hostileValues(): Record<string, unknown> {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const { proxy: revokedFn, revoke: revokeFn } = Proxy.revocable(() => {}, {});
  revokeFn();
  const throwing = () => {
    throw new Error('read');
  };
  return {
    'a revoked Proxy': proxy,
    'a revoked function Proxy': revokedFn,
    'an object without a prototype': Object.create(null),
    'a throwing toString and valueOf': { toString: throwing, valueOf: throwing },
    'a throwing toJSON': { toJSON: throwing },
    'a throwing then getter': Object.defineProperty({}, 'then', { get: throwing }),
    'an Error with throwing name and message getters': Object.defineProperties(new Error('x'), {
      name: { get: throwing },
      message: { get: throwing },
    }),
    'an Error whose name is a Symbol': Object.assign(new Error('x'), { name: Symbol('n') }),
    'a Proxy whose every trap throws': new Proxy(
      {},
      {
        get: throwing,
        has: throwing,
        getPrototypeOf: throwing,
        ownKeys: throwing,
        getOwnPropertyDescriptor: throwing,
      },
    ),
    'a Symbol': Symbol('s'),
    'a BigInt': 10n,
  };
}
