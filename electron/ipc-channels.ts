/** IPC channel names shared by main.ts and preload.ts. */
export const IPC_GET_SNAPSHOT = 'kiosk:get-snapshot';
export const IPC_SEND_INTENT = 'kiosk:send-intent';
export const IPC_SNAPSHOT = 'kiosk:snapshot';
