// Loaded with the first live alert, not with the board.
export { ElNotification } from "element-plus";
import "element-plus/es/components/notification/style/css";
