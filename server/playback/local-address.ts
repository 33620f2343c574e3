// Which of our addresses a receiver can reach us on: the source address the kernel would pick
// for a packet to it. A connected UDP socket sends nothing; it only asks the routing table.
// Never "localhost": the receiver would fetch from itself.
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export function localAddressFor(remoteHost: string, port = 9): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(remoteHost) ? 'udp6' : 'udp4');
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.connect(port, remoteHost, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}

export function httpBase(address: string, port: number): string {
  return `http://${isIPv6(address) ? `[${address}]` : address}:${port}`;
}
