// Vietnamese labels of the schema's enums.

export const LEVEL: Record<string, string> = {
  CENTRAL: 'Trung ương',
  PROVINCE: 'Cấp tỉnh',
  DISTRICT: 'Cấp huyện',
  COMMUNE: 'Cấp xã',
};

export const TASK_STATUS: Record<string, string> = {
  NOT_STARTED: 'Chưa bắt đầu',
  IN_PROGRESS: 'Đang thực hiện',
  BLOCKED: 'Vướng mắc',
  DONE: 'Hoàn thành',
  CANCELLED: 'Đã hủy',
};

export const PLAN_STATUS: Record<string, string> = {
  DRAFT: 'Dự thảo',
  ISSUED: 'Đã ban hành',
  CLOSED: 'Đã kết thúc',
};
